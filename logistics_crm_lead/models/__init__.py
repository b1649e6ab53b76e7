from . import crm_lead
from . import crm_lead_won
from . import res_partner
