from . import logistics_lead_funnel
