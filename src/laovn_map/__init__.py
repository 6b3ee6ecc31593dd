"""laovn-map: the Laos–Vietnam relations map, built from two source texts and open geodata."""

__version__ = "0.1.0"
