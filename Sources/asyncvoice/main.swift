import ArgumentParser
import Foundation

// A usage error (unknown option or command, a value out of range) is one line naming the option
// and its allowed values, exit status 2; help prints as usual.
// Past a file size limit (`ulimit -f`) a write fails with EFBIG and is reported, instead of the
// signal ending the program.
signal(SIGXFSZ, SIG_IGN)
// Signals blocked by whoever started us (a test runner's threads block almost all, and the mask
// is inherited through exec) would never arrive: Ctrl-C, SIGTERM and SIGHUP (a closed terminal)
// must reach the handlers that restore the terminal. Unblocked before any thread of ours starts.
var unblocked = sigset_t()
sigemptyset(&unblocked)
pthread_sigmask(SIG_SETMASK, &unblocked, nil)
do {
  var command = try AsyncVoiceCommand.parseAsRoot()
  try command.run()
} catch {
  let code = AsyncVoiceCommand.exitCode(for: error)
  if code == .validationFailure { fail(OptionRanges.oneLine(AsyncVoiceCommand.message(for: error)), code: 2) }
  if error is ExitCode || code == .success { AsyncVoiceCommand.exit(withError: error) }
  fail(describe(error))
}
