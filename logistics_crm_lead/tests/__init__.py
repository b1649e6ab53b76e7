from . import test_lead_won
