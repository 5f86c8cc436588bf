"""Dear John: runs a demand-deterrence letter program, from camera image to measured effect."""

__version__ = "0.1.0"
