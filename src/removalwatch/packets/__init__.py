"""Evidence packets: one country's, flight's or claim's evidence as a self-contained HTML file and a
PDF, for a lawyer to attach to a filing."""
