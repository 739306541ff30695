import ArgumentParser

AsyncVoiceCommand.main()
