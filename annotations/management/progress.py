"""What the management commands share to show their progress."""


class CommandStream:
    """A command's stdout or stderr as a plain stream for tqdm, which writes its own line
    ends (the command's wrapper would add another)."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()
