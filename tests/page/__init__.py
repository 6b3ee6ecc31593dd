"""Tests of `laovn_map.page`, one file per module."""
