from . import crm_lead
from . import crm_lead_won
from . import res_partner
from . import logistics_visit
from . import crm_lead_visit
from . import crm_lead_renewal
from . import res_company
from . import res_config_settings
