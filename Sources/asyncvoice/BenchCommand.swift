import ArgumentParser
import Foundation
import Kernels
import Transformer

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Measure load, prefill and multi-row decode speed (the README's performance table).")

  @Option(help: "Model GGUF file.") var model = Defaults.smallModel
  @Option(help: "Threads.") var threads = 2
  @Option(help: "Decode steps per measurement.") var steps = 128
  @Option(help: "Repetitions (the median is reported).") var repetitions = 3
  @Flag(help: "Float activations (exact) instead of 8-bit activation dot products.") var exact = false
  @Flag(help: "Print JSON.") var json = false
  @Option(help: "A llama-bench binary: run it on the same model and threads right after, print ratios.") var compareLlama: String?

  struct Row { var name: String; var value: Double; var unit: String; var extra: String = "" }

  func run() throws {
    let t0 = Date()
    let engine: Engine
    do { engine = try Engine(path: Defaults.resolve(model), threads: threads, maxContext: 2048) } catch { fail("\(model): \(error)") }
    let load = Date().timeIntervalSince(t0)
    engine.model.exactActivations = exact
    let m = engine.model
    let s = engine.store
    let text = String(repeating: "The quick brown fox jumps over the lazy dog while the assistant thinks about numbers. ", count: 60)
    let all = engine.tokenizer.encode(text)
    var rows: [Row] = [Row(name: "load", value: load, unit: "s")]
    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    // Prefill.
    for n in [128, 512] {
      let ids = Array(all.prefix(n))
      var rates: [Double] = []
      for rep in 0...repetitions {
        let b = s.makeBlock("pp", capacity: n + 1)
        let t = Date()
        m.prefill(ids, view: [b], store: s, wantLogits: true)
        let dt = Date().timeIntervalSince(t)
        s.remove(b)
        if rep > 0 { rates.append(Double(n) / dt) }  // first run is warm-up
      }
      rows.append(Row(name: "prefill pp\(n)", value: median(rates), unit: "tok/s"))
    }
    // Decode with R rows per step, each row its own stream over a shared 128-token prompt.
    var oneRowStep = 0.0
    for R in [1, 2, 3] {
      var rates: [Double] = []
      var stepTimes: [Double] = []
      for rep in 0...repetitions {
        let prompt = s.makeBlock("prompt", capacity: 129)
        m.prefill(Array(all.prefix(128)), view: [prompt], store: s, wantLogits: false)
        let streams = (0..<R).map { _ in s.makeBlock("stream", capacity: steps + 2) }
        var toks = [Int32](repeating: all[128], count: R)
        var times: [Double] = []
        let t = Date()
        for _ in 0..<steps {
          let ts = Date()
          m.forward(tokens: toks, views: streams.map { [prompt, $0] }, store: s, logitsFor: Array(0..<R))
          for r in 0..<R { toks[r] = Sampler.argmax(m.logits(r)) ?? 0 }
          times.append(Date().timeIntervalSince(ts))
        }
        let dt = Date().timeIntervalSince(t)
        streams.forEach(s.remove)
        s.remove(prompt)
        if rep > 0 {
          rates.append(Double(steps * R) / dt)
          stepTimes += times
        }
      }
      stepTimes.sort()
      let p50 = stepTimes[stepTimes.count / 2] * 1000, p99 = stepTimes[min(stepTimes.count - 1, stepTimes.count * 99 / 100)] * 1000
      if R == 1 { oneRowStep = p50 }
      let ratio = R == 1 ? "" : String(format: "step %.2f× a 1-row step", p50 / oneRowStep)
      rows.append(Row(name: "decode \(R) row\(R > 1 ? "s" : "") (total)", value: median(rates), unit: "tok/s",
        extra: String(format: "p50 %.2f ms, p99 %.2f ms per step%@", p50, p99, ratio.isEmpty ? "" : "; " + ratio)))
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let rssMB = Double(usage.ru_maxrss) / 1024
    let fileMB = Double(engine.model.file.size) / 1e6
    let kernels = "\(KernelThreads.usesAVX2 ? "AVX2/FMA" : "portable") kernels, \(exact ? "float" : "8-bit") activations, \(KernelThreads.count) threads, OpenBLAS sgemm for ≥\(Matmul.blasMinRows) rows"
    var llama: [String: Double] = [:]
    if let lb = compareLlama { llama = runLlamaBench(lb) }
    if json {
      var obj: [String: Any] = ["model": model, "file_mb": fileMB, "peak_rss_mb": rssMB, "kernels": kernels, "threads": threads]
      for r in rows { obj[r.name] = r.value }
      if !llama.isEmpty { obj["llama.cpp"] = llama }
      let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    print("model: \(URL(fileURLWithPath: model).lastPathComponent) (\(engine.model.config.architecture.rawValue), \(String(format: "%.0f", fileMB)) MB; \(ModelWeights.typeSummary(engine.model.file)))")
    print("engine: \(kernels)")
    print(String(format: "peak RSS %.0f MB (model file %.0f MB)", rssMB, fileMB))
    for r in rows {
      var line = r.name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%9.2f %@", r.value, r.unit)
      if !r.extra.isEmpty { line += "   " + r.extra }
      if let l = llama[r.name.hasPrefix("prefill pp512") ? "pp512" : r.name.hasPrefix("decode 1 row") ? "tg128" : ""] {
        line += String(format: "   llama.cpp %.1f tok/s → %.2f×", l, r.value / l)
      }
      print(line)
    }
  }

  /// Runs llama-bench (JSON output) and returns tok/s per test name (pp512, tg128).
  func runLlamaBench(_ path: String) -> [String: Double] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["-m", Defaults.resolve(model), "-t", "\(threads)", "-p", "512", "-n", "128", "-r", "\(repetitions)", "-o", "json"]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = Pipe()
    do { try p.run() } catch { fail("cannot run llama-bench at \(path): \(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard let arr = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
      fail("llama-bench printed no JSON (exit \(p.terminationStatus))")
    }
    var r: [String: Double] = [:]
    for t in arr {
      let np = t["n_prompt"] as? Int ?? 0, ng = t["n_gen"] as? Int ?? 0
      let ts = t["avg_ts"] as? Double ?? 0
      if np > 0 && ng == 0 { r["pp\(np)"] = ts }
      if ng > 0 && np == 0 { r["tg\(ng)"] = ts }
    }
    return r
  }
}
