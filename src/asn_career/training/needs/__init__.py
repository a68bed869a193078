"""Training needs: gaps per employee and competency, with a priority and its reasons."""
