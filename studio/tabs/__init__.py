"""One module per tab: components and wiring only; the logic lives in pure functions elsewhere."""
