"""studio-emulator: a local SageMaker Studio endpoint speaking the real wire protocol."""
