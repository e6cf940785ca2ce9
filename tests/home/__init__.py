"""Tests of bot/home: the App Home tab."""
