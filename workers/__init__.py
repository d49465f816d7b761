"""parley: real-time diplomatic event coding from news streams."""

__version__ = "0.1.0"
