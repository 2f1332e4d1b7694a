"""Analysis on networkx graphs: plain data in, plain data out; no database code here."""
