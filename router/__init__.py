"""The fedtasks federation router and composer."""
