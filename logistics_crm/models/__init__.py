from . import logistics_service_type
from . import logistics_partner_lane
from . import res_partner
