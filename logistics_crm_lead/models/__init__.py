from . import crm_lead
from . import crm_lead_won
from . import res_partner
from . import logistics_visit
from . import crm_lead_visit
