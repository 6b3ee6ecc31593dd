"""Tests of `laovn_map.geo`, one file per module."""
