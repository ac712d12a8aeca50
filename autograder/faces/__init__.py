"""What people see: the check cell, the terminal, pytest and Gradescope render a result."""
