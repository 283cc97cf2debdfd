"""Demo store generator: a realistic apparel and home-goods shop written as real export files
(Shopify CSVs, Zendesk JSON, generic shipment/return/review/ticket CSVs) with injected incidents
and written ground truth. The generator core is Django-free; `setup.py` imports the files."""
