"""Server-side groupby: parity with pandas, dialects, errors, plotting."""
