"""The App Home tab: each person's week, and the managers' team and study sections."""
