import ArgumentParser
import Foundation
import Kernels
import Transformer

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Measure load, prefill and multi-row decode speed (the README's performance table).")

  @Option(help: "Model GGUF file.") var model = Defaults.smallModel
  @Option(help: "Threads.") var threads = 2
  @Option(help: "Decode steps per measurement.") var steps = 64
  @Option(help: "Repetitions (the median is reported); decode alternates 1, 2, 3 rows in each.") var repetitions = 5
  @Flag(help: "Float activations (exact) instead of 8-bit activation dot products.") var exact = false
  @Flag(help: "Print JSON.") var json = false
  @Flag(help: "Keep the KV cache in f16 instead of f32.") var kvF16 = false
  @Flag(help: "Keep the weights in the file's layout (no packed copies for the AVX-512 VNNI kernel), for before/after.")
  var noRepack = false
  @Option(help: "Tokens of context before the decode steps.") var context = 128
  @Option(help: "Comma-separated prefill lengths to time (tokens per prefill, like llama-bench's -p).")
  var prefillSizes = "16,32,64,128,512"
  @Option(
    help:
      "Comma-separated batches of prefills to time one after the other and as one batch (Model.prefill(batch:)), each as lengths joined by +, e.g. 2+2,22+4+5."
  ) var prefillBatches = "2+2,22+4+5"
  @Option(help: "Kernel instruction set: auto, scalar, avx2, avxvnni, avx512vnni.") var isa = "auto"
  @Option(help: "Rows from which prefill takes the OpenBLAS sgemm path (default: the engine's).") var blasMinRows: Int?
  @Option(help: "A llama-bench binary: run it on the same model and threads right after, print ratios.") var compareLlama: String?
  @Option(help: "More llama-bench arguments, space-separated (e.g. \"--poll 0\": its workers sleep instead of spinning).")
  var llamaArgs = ""

  @Flag(
    help:
      "With --compare-llama: also run llama-bench once per test and compare tokens per CPU-second, which other load on the machine moves far less than wall-clock rates."
  ) var llamaCPU = false

  @Flag(
    help:
      "Then measure the 1-row decode again (and llama.cpp's, with --compare-llama) while one busy process (yes > /dev/null) competes for the cores, as a share of the quiet rate."
  ) var contend = false

  struct Row { var name: String; var value: Double; var unit: String; var extra: String = ""; var cpu: Double? = nil }

  func validate() throws {
    try OptionRanges.check("--blas-min-rows", blasMinRows)
    try OptionRanges.check("--threads", threads)
    try OptionRanges.check("--steps", steps)
    try OptionRanges.check("--repetitions", repetitions)
    try OptionRanges.check("--context", context)
    _ = try prefillLengths()
    _ = try batchLengths()
  }

  /// `--prefill-sizes` as lengths.
  func prefillLengths() throws -> [Int] {
    let allowed = 1...OptionRanges.maxPrefill
    guard let sizes = Self.integers(prefillSizes, separator: ","), sizes.allSatisfy({ allowed.contains($0) }) else {
      throw ValidationError(
        "--prefill-sizes must be \(OptionRanges.table["--prefill-sizes"]!.description), got \"\(prefillSizes)\"")
    }
    return sizes
  }

  /// `--prefill-batches` as lists of lengths.
  func batchLengths() throws -> [[Int]] {
    if prefillBatches.isEmpty { return [] }
    let batches = prefillBatches.split(separator: ",", omittingEmptySubsequences: false).map {
      Self.integers(String($0), separator: "+")
    }
    let allowed = 1...OptionRanges.maxBatchPart
    guard batches.allSatisfy({ $0?.allSatisfy { allowed.contains($0) } == true }) else {
      throw ValidationError(
        "--prefill-batches must be \(OptionRanges.table["--prefill-batches"]!.description), got \"\(prefillBatches)\"")
    }
    return batches.compactMap { $0 }
  }

  /// The integers of `text` between `separator`s; nil if one is not an integer.
  static func integers(_ text: String, separator: Character) -> [Int]? {
    let parts = text.split(separator: separator, omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    let ints = parts.compactMap { $0 }
    return ints.count == parts.count ? ints : nil
  }

  func run() throws {
    let loadBefore = loadAverage()
    let lengths = try prefillLengths()
    let longest = lengths.max() ?? 512
    selectISA(isa)
    if let b = blasMinRows { Matmul.blasMinRows = b }
    let t0 = Date()
    let engine: Engine
    do {
      engine = try Engine(
        path: Defaults.resolve(model), threads: threads, maxContext: max(2048, context + steps + 8, longest + 8), kvF16: kvF16,
        repack: !noRepack)
    } catch { fail("\(model): \(error)") }
    let load = Date().timeIntervalSince(t0)
    engine.model.exactActivations = exact
    let m = engine.model
    let s = engine.store
    let text = String(
      repeating: "The quick brown fox jumps over the lazy dog while the assistant thinks about numbers. ",
      count: 60 + context / 12)
    let all = engine.tokenizer.encode(text)
    guard context > 0 && context < all.count else { fail("--context must be between 1 and \(all.count - 1)") }
    var rows: [Row] = [Row(name: "load", value: load, unit: "s")]
    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    // Prefill.
    guard longest < all.count else { fail("--prefill-sizes: at most \(all.count - 1) tokens") }
    for n in lengths {
      let ids = Array(all.prefix(n))
      var rates: [Double] = [], cpuRates: [Double] = []
      for rep in 0...repetitions {
        let b = s.makeBlock("pp", capacity: n + 1)
        let t = Date(), c = cpuSeconds()
        m.prefill(ids, view: [b], store: s, wantLogits: true)
        let dt = Date().timeIntervalSince(t), dc = cpuSeconds() - c
        s.remove(b)
        if rep > 0 { rates.append(Double(n) / dt); cpuRates.append(Double(n) / dc) }  // first run is warm-up
      }
      rows.append(
        Row(
          name: "prefill pp\(n)", value: median(rates), unit: "tok/s",
          extra: String(format: "%7.1f ms  ", 1000 * Double(n) / median(rates)) + cpuNote(median(cpuRates)), cpu: median(cpuRates)
        ))
    }
    // Batches: the same prefills one after the other, then as one batch, alternating per repetition.
    for lengths in try batchLengths() {
      var apart: [Double] = [], together: [Double] = []
      for rep in 0...repetitions {
        for batched in [false, true] {
          let blocks = lengths.map { s.makeBlock("batch", capacity: $0 + 1) }
          let parts = zip(lengths, blocks).enumerated().map { i, lb in
            (tokens: Array(all.dropFirst(7 * i).prefix(lb.0)), view: [lb.1])
          }
          let t = Date()
          if batched {
            m.prefill(batch: parts, store: s)
          } else {
            for p in parts { m.prefill(p.tokens, view: p.view, store: s, wantLogits: false) }
          }
          let dt = Date().timeIntervalSince(t)
          blocks.forEach(s.remove)
          if rep > 0 { if batched { together.append(dt) } else { apart.append(dt) } }
        }
      }
      let name = lengths.map(String.init).joined(separator: "+")
      rows.append(
        Row(
          name: "prefill batch \(name)", value: 1000 * median(together), unit: "ms",
          extra: String(format: "one after the other %.1f ms: %.2f×", 1000 * median(apart), median(apart) / median(together))))
    }
    // Decode with R rows per step, each row its own stream over a shared `context`-token prompt. The
    // 1-, 2- and 3-row runs alternate within each round, and a step ratio is taken per round, so
    // a noisy neighbour slows both sides of a ratio alike.
    let rowCounts = [1, 2, 3]
    var rates = [[Double]](repeating: [], count: 4), cpuRates = [[Double]](repeating: [], count: 4),
      stepTimes = [[Double]](repeating: [], count: 4)
    var ratios = [[Double]](repeating: [], count: 4)
    var allocations = [Int](repeating: 0, count: 4)
    for round in 0...repetitions {
      var roundP50 = [Double](repeating: 0, count: 4)
      for R in rowCounts {
        let d = decode(rows: R, engine: engine, tokens: all)
        if let a = d.allocations, round > 0 { allocations[R] += a }
        if round > 0 {  // round 0 is warm-up
          rates[R].append(d.rate)
          cpuRates[R].append(d.cpuRate)
          stepTimes[R] += d.stepTimes
          roundP50[R] = median(d.stepTimes)
        }
      }
      if round > 0 { for R in rowCounts { ratios[R].append(roundP50[R] / roundP50[1]) } }
    }
    for R in rowCounts {
      let st = stepTimes[R].sorted()
      let p50 = st[st.count / 2] * 1000, p99 = st[min(st.count - 1, st.count * 99 / 100)] * 1000
      let ratio =
        R == 1 ? "" : String(format: "; step %.2f× a 1-row step (median of %d rounds)", median(ratios[R]), ratios[R].count)
      rows.append(
        Row(
          name: "decode \(R) row\(R > 1 ? "s" : "") (total)", value: median(rates[R]), unit: "tok/s",
          extra: String(format: "p50 %.2f ms, p99 %.2f ms per step%@; ", p50, p99, ratio) + cpuNote(median(cpuRates[R])),
          cpu: median(cpuRates[R])))
    }
    if allocationCount() != nil {
      let total = rowCounts.reduce(0) { $0 + allocations[$1] }
      rows.append(
        Row(
          name: "allocations in loop", value: Double(total), unit: "calls",
          extra: "over \(repetitions * steps * rowCounts.count) decode steps (forward + sampler), counted by Tools/malloc_count.c"
        ))
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let rssMB = Double(usage.ru_maxrss) / 1024
    let fileMB = Double(engine.model.file.size) / 1e6
    // The most KV the bench holds at once: the longest prefill's block (prefill blocks are removed after use).
    let kvMB = Double(2 * s.layers * s.kvDim * (s.f16 ? 2 : 4) * (longest + 1)) / 1e6
    let loads = String(
      format: "load average %.2f before, %.2f after (1 min; %d CPUs)", loadBefore, loadAverage(),
      ProcessInfo.processInfo.activeProcessorCount)
    let kernels =
      "\(KernelISA.current.name) kernels (best here: \(KernelISA.best.name)), \(exact ? "float" : "8-bit") activations, \(KernelThreads.count) threads, OpenBLAS sgemm for ≥\(Matmul.blasMinRows) rows, \(kvF16 ? "f16" : "f32") KV cache, decode after \(context) tokens"
    var llama: [String: Double] = [:], llamaCommand = ""
    var llamaPerCPU: [String: Double] = [:]
    if let lb = compareLlama {
      (llama, llamaCommand) = runLlamaBench(lb)
      if llamaCPU { llamaPerCPU = llamaCPURates(lb) }
    }
    if contend {
      let quiet = rows.first { $0.name.hasPrefix("decode 1 row") }?.value ?? 0
      let busy = BusyProcess()
      var loaded: [Double] = []
      for round in 0...repetitions {
        let d = decode(rows: 1, engine: engine, tokens: all)
        if round > 0 { loaded.append(d.rate) }
      }
      let mine = median(loaded)
      var extra = String(format: "%.0f %% of quiet (%.2f)", 100 * mine / quiet, quiet)
      if let lb = compareLlama, let lq = llama["tg128"] {
        let ll = runLlamaBench(lb, prompts: "0").rates["tg128"] ?? 0
        extra += String(
          format: "   llama.cpp %.1f tok/s = %.0f %% of its quiet → %.2f×, share %.2f× llama.cpp's", ll, 100 * ll / lq,
          mine / max(ll, 1e-9), (mine / quiet) / max(ll / lq, 1e-9))
      }
      busy.stop()
      rows.append(Row(name: "decode 1 row, 1 busy", value: mine, unit: "tok/s", extra: extra))
    }
    if json {
      var obj: [String: Any] = [
        "model": model, "file_mb": fileMB, "kv_mb": kvMB, "peak_rss_mb": rssMB, "kernels": kernels, "threads": threads,
        "machine_load": loads,
      ]
      for r in rows { obj[r.name] = r.value }
      if !llama.isEmpty { obj["llama.cpp"] = llama; obj["llama.cpp command"] = llamaCommand }
      if !llamaPerCPU.isEmpty { obj["llama.cpp per CPU-s"] = llamaPerCPU }
      let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    print(
      "model: \(URL(fileURLWithPath: model).lastPathComponent) (\(engine.model.config.architecture.rawValue), \(String(format: "%.0f", fileMB)) MB; \(ModelWeights.typeSummary(engine.model.file)))"
    )
    print("engine: \(kernels)")
    print(
      String(format: "peak RSS %.0f MB = %.2f× (model file %.0f MB + KV %.0f MB)", rssMB, rssMB / (fileMB + kvMB), fileMB, kvMB))
    print(loads)
    if !llamaCommand.isEmpty { print("llama.cpp, right after: \(llamaCommand)") }
    for r in rows {
      var line = r.name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%9.2f %@", r.value, r.unit)
      if !r.extra.isEmpty { line += "   " + r.extra }
      let test =
        r.name == "prefill pp512"
        ? "pp512" : r.name == "prefill pp16" ? "pp16" : r.name.hasPrefix("decode 1 row (") ? "tg128" : ""
      if let l = llama[test] {
        line += String(format: "   llama.cpp %.1f tok/s → %.2f×", l, r.value / l)
      }
      if let l = llamaPerCPU[test], let c = r.cpu { line += String(format: "; per CPU-s llama.cpp %.1f → %.2f×", l, c / l) }
      print(line)
    }
  }

  /// Runs llama-bench (JSON output) and returns tok/s per test name (pp16, pp512, tg128), and its
  /// command line and build.
  func runLlamaBench(_ path: String, prompts: String = "16,512") -> (rates: [String: Double], command: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments =
      ["-m", Defaults.resolve(model), "-t", "\(threads)", "-p", prompts, "-n", "128", "-r", "\(repetitions)", "-o", "json"]
      + llamaArgs.split(separator: " ").map(String.init)
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice  // its loading log; an unread pipe could fill and stall it
    do { try p.run() } catch { fail("cannot run llama-bench at \(path): \(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard let arr = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
      fail("llama-bench printed no JSON (exit \(p.terminationStatus))")
    }
    var r: [String: Double] = [:]
    let build = arr.first?["build_commit"] as? String ?? "?"
    for t in arr {
      let np = t["n_prompt"] as? Int ?? 0, ng = t["n_gen"] as? Int ?? 0
      let ts = t["avg_ts"] as? Double ?? 0
      if np > 0 && ng == 0 { r["pp\(np)"] = ts }
      if ng > 0 && np == 0 { r["tg\(ng)"] = ts }
    }
    return (r, "llama-bench (build \(build)) " + (p.arguments ?? []).joined(separator: " "))
  }
}

extension BenchCommand {
  struct Decode { var rate: Double; var cpuRate: Double; var stepTimes: [Double]; var allocations: Int? }

  /// `steps` decode steps of `rows` rows, each row its own stream over a shared `context`-token
  /// prompt, sampled as the reasoning streams sample (repetition penalty, a forbidden mask).
  func decode(rows R: Int, engine: Engine, tokens all: [Int32]) -> Decode {
    let m = engine.model, s = engine.store
    let prompt = s.makeBlock("prompt", capacity: context + 1)
    m.prefill(Array(all.prefix(context)), view: [prompt], store: s, wantLogits: false)
    let streams = (0..<R).map { _ in s.makeBlock("stream", capacity: steps + 2) }
    let views = streams.map { [prompt, $0] }
    let logitRows = Array(0..<R)
    var toks = [Int32](repeating: all[context], count: R)
    var times: [Double] = []
    times.reserveCapacity(steps)
    var samplers = (0..<R).map { _ in Sampler(options: SamplerOptions(repetitionPenalty: 1.1), forbidden: [0, 1, 2]) }
    var history = [Int32](repeating: 0, count: steps * R)
    let allocsBefore = allocationCount()
    let t = Date(), c = cpuSeconds()
    for i in 0..<steps {
      let ts = Date()
      m.forward(tokens: toks, views: views, store: s, logitsFor: logitRows)
      for r in 0..<R {
        toks[r] = samplers[r].sample(m.logits(r), recent: history[(r * steps)..<(r * steps + i)])
        history[r * steps + i] = toks[r]
      }
      times.append(Date().timeIntervalSince(ts))
    }
    let dt = Date().timeIntervalSince(t), dc = cpuSeconds() - c
    let allocs = allocsBefore.flatMap { b in allocationCount().map { $0 - b } }
    streams.forEach(s.remove)
    s.remove(prompt)
    return Decode(rate: Double(steps * R) / dt, cpuRate: Double(steps * R) / dc, stepTimes: times, allocations: allocs)
  }
}

extension BenchCommand {
  /// llama.cpp's tokens per CPU-second (user + system time of a llama-bench run per test, less
  /// that of a run of a 1-token prompt: loading the model).
  func llamaCPURates(_ path: String) -> [String: Double] {
    func cpu(_ args: [String]) -> Double {
      let before = childCPUSeconds()
      let p = Process()
      p.executableURL = URL(fileURLWithPath: path)
      p.arguments =
        ["-m", Defaults.resolve(model), "-t", "\(threads)", "-o", "json"] + args
        + llamaArgs.split(separator: " ").map(String.init)
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      do { try p.run() } catch { fail("cannot run llama-bench at \(path): \(error)") }
      p.waitUntilExit()
      return childCPUSeconds() - before
    }
    let base = cpu(["-p", "1", "-n", "0", "-r", "1"])
    let reps = repetitions
    var out: [String: Double] = [:]
    for n in [16, 512] {  // a warm-up run and `reps` runs
      out["pp\(n)"] = Double((reps + 1) * n) / max(1e-6, cpu(["-p", "\(n)", "-n", "0", "-r", "\(reps)"]) - base)
    }
    out["tg128"] = Double(reps * 128 + 1) / max(1e-6, cpu(["-p", "0", "-n", "128", "-r", "\(reps)"]) - base)  // warm-up: 1 token
    return out
  }
}

/// User + system seconds of the child processes that have ended.
private func childCPUSeconds() -> Double {
  var u = rusage()
  getrusage(RUSAGE_CHILDREN.rawValue, &u)
  return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6
}

/// Seconds of CPU used by the whole process (all threads): with other load on the machine, tokens
/// per CPU-second at one thread move far less than tokens per wall-clock second.
private func cpuSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The machine's 1-minute load average (the host is shared: every figure is read beside it).
private func loadAverage() -> Double {
  var l = [Double](repeating: 0, count: 3)
  return getloadavg(&l, 3) > 0 ? l[0] : -1
}

private func cpuNote(_ rate: Double) -> String { String(format: "%.1f tok per CPU-s", rate) }

/// The counting allocator's total when `scripts/alloc-count.sh` preloaded it, else nil.
private func allocationCount() -> Int? {
  guard let sym = dlsym(nil, "av_alloc_count") else { return nil }  // nil = RTLD_DEFAULT on glibc
  typealias Counter = @convention(c) () -> UInt
  return Int(unsafeBitCast(sym, to: Counter.self)())
}

/// One busy process competing for the cores (`yes > /dev/null`), ended by `stop()` or, if this
/// process dies first, by the end of its standard input (the shell waits on it, then kills `yes`).
/// SIGKILL, and no `wait`: a test runner may start us with every other signal blocked, and the
/// mask is inherited (SIGTERM and SIGCHLD never arrived).
final class BusyProcess {
  private let process = Process()
  private let input = Pipe()

  init() {
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "yes > /dev/null & y=$!; read _; kill -9 $y"]
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    do { try process.run() } catch { fail("cannot start the busy process (/bin/sh, yes): \(error)") }
    Thread.sleep(forTimeInterval: 0.5)  // let it reach the cores
  }

  func stop() {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
  }
}
