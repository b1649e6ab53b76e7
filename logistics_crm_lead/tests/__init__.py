from . import test_lead_won
from . import test_lead_visit
from . import test_lead_funnel
from . import test_lead_demo
from . import test_lead_tour
from . import test_lead_renewal
from . import test_crm_peers
from . import test_field_labels
