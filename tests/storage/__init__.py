"""Tests of storage/: migrations, seeds, unique keys, claims, on real databases."""
