import ArgumentParser
import Foundation
import Session

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Validate transcript files; report each bad line as file:line: what is wrong.")

  @Argument(help: "Files or folders.") var paths: [String]

  func run() throws {
    var files: [String] = []
    for p in paths {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
        let e = FileManager.default.enumerator(atPath: p)
        while let f = e?.nextObject() as? String {
          if f.hasSuffix(".jsonl") && !f.hasPrefix("local/") { files.append(p + "/" + f) }
        }
      } else {
        files.append(p)
      }
    }
    var bad = 0
    for f in files.sorted() {
      let problems = Transcript.validate(path: f)
      for p in problems { print(p) }
      if problems.contains(where: { !$0.contains("unknown event type") }) { bad += 1 }
    }
    print("\(files.count - bad)/\(files.count) files valid")
    if bad > 0 { throw ExitCode(1) }
  }
}
