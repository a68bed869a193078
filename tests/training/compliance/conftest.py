from tests.feedback.conftest import hr_a, hr_b, world

__all__ = ["hr_a", "hr_b", "world"]
