"""Every write about work, one module per concept. Money is never deleted (DESIGN.md §3,
``work.models``): a correction is a reversing entry, a mistaken order is voided; only her erasure
deletes.

- ``validation``: ``clean_order()``, the one validator of a work order, and an order read back as
  raw input to check a change against it.
- ``orders``: orders recorded, changed and voided.
- ``entries``: deliveries, payments, deductions, costs and helpers' hours added to an order, and
  corrected by reversing entries.
- ``batches``: quick entry (one product for many members) and an import's batch of orders.
- ``figures``: recomputing the derived figures stored on orders; the benchmark that applies to one.
- ``benchmarks``: the organization's own wage benchmarks and its late-payment threshold.
- ``rates``: saved fair rates.
- ``rights``: her rights over her orders (export, erasure, move on merge), registered with core.rights.
- ``_common``: what orders and entries share: the order locked, a voided one refused, the reason given.
"""
