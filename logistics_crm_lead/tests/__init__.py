from . import test_lead_won
from . import test_lead_visit
