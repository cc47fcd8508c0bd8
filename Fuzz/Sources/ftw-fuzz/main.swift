import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver (linked by `-sanitize=fuzzer`): it parses its own options from `argv` and
/// calls `callback` with each input it makes.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let arguments = CommandLine.arguments
if (3...4).contains(arguments.count), arguments[1] == "seeds" {
  do {
    try SeedCorpus.write(
      to: URL(fileURLWithPath: arguments[2]),
      columns: arguments.count == 4 ? URL(fileURLWithPath: arguments[3]) : nil)
    exit(0)
  } catch {
    FileHandle.standardError.write(Data("cannot write the seeds: \(error)\n".utf8))
    exit(1)
  }
}
guard arguments.count >= 2, let chosen = FuzzTarget.all.first(where: { $0.name == arguments[1] }) else {
  let names = FuzzTarget.all.map {
    "  \($0.name.padding(toLength: 22, withPad: " ", startingAt: 0))\($0.summary)"
  }
  let message = """
    usage: ftw-fuzz TARGET [libFuzzer options] [CORPUS ...]
           ftw-fuzz seeds FOLDER [COLUMNS]   (writes the seeds made by the package's own writers)
    targets:
    \(names.joined(separator: "\n"))\n
    """
  FileHandle.standardError.write(Data(message.utf8))
  exit(2)
}

/// The target libFuzzer's callback runs (a C callback cannot capture it).
let target = chosen

// libFuzzer sees the arguments after the target's name.
var argc = CommandLine.argc - 1
var argv = CommandLine.unsafeArgv
argv[1] = argv[0]
var shifted = argv + 1
exit(
  runFuzzDriver(&argc, &shifted) { data, size in
    target.run(Data(UnsafeBufferPointer(start: data, count: size)))
    return 0
  })
