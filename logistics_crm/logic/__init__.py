"""Pure, Odoo-free business logic, unit-tested without a database."""
