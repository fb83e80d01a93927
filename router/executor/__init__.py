"""Run a QueryPlan: fetch, merge, re-path errors; then shape the answer for the client."""
