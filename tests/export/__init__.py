"""Tests of `laovn_map.export`, one file per module."""
