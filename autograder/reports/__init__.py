"""The class report."""
