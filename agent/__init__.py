"""The agent: the loop, budgets, guards, trajectories, workflows and the CLI."""
