"""Ticket enrichment: text signals (`text`), set-based loading (`load`), the join that decides
order/product/shipment/customer (`join`) and the process-wide product catalog (`catalog`)."""
