"""Read a supergraph SDL: the API schema clients see, and the model the planner uses."""
