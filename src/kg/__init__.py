"""kg: knowledge graphs of who said which figure in war and conflict news."""

__version__ = "0.1.0"
