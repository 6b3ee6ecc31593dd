"""Tests of `laovn_map.build`, one file per module."""
