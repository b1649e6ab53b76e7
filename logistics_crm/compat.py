"""What differs between Odoo 18.0 and Odoo 19.0, in one place.

The addon's other files import these names instead of the version-specific APIs. Each
shim says which version its branches serve: when 18.0 support ends, keep the 19.0
branch of each, and delete what then only forwards to Odoo.
"""

import contextlib
import contextvars
from collections.abc import Collection

from odoo import release

ODOO_MAJOR = release.version_info[0]
ODOO_19 = ODOO_MAJOR >= 19

if ODOO_19:
    from odoo.fields import Domain
else:  # 18.0
    from odoo.osv import expression


# Domains. 18.0: odoo.osv.expression; 19.0: odoo.fields.Domain (odoo.osv deprecated).
def domain_and(domains):
    if ODOO_19:
        return Domain.AND(domains)
    return expression.AND(domains)


def domain_or(domains):
    if ODOO_19:
        return Domain.OR(domains)
    return expression.OR(domains)


def false_domain():
    if ODOO_19:
        return Domain.FALSE
    return expression.FALSE_DOMAIN


def warm_static_paths():
    """Reads every module's static path in the loading thread (see hooks.post_load).

    18.0: the cached property ``root.statics``; 19.0: each manifest of
    ``Manifest.all_addon_manifests()`` caches its static path.
    """
    if ODOO_19:
        from odoo.modules.module import Manifest  # noqa: PLC0415

        return all(
            manifest.static_path or True for manifest in Manifest.all_addon_manifests()
        )
    from odoo.http import root  # noqa: PLC0415

    return bool(root.statics)


# SQL constraints. 19.0: ``_name = models.Constraint(definition, message)`` (it
# ignores ``_sql_constraints``); 18.0: the same declaration, in ``_sql_constraints``.
# Both versions name the database constraint ``<table>_<name>``.
if ODOO_19:
    from odoo.models import Constraint  # noqa: F401 - re-exported
else:

    class Constraint:
        """18.0: 19.0's ``models.Constraint``, added to ``_sql_constraints``."""

        def __init__(self, definition, message=""):
            self.definition = definition
            self.message = message

        def __set_name__(self, owner, name):
            constraints = list(owner.__dict__.get("_sql_constraints", ()))
            constraints.append((name[1:], self.definition, self.message))
            owner._sql_constraints = constraints


# Phone numbers of a contact or a lead. 18.0: ``phone`` and ``mobile``; 19.0 dropped
# ``mobile`` from res.partner and crm.lead.
PHONE_FIELDS = ("phone",) if ODOO_19 else ("phone", "mobile")


def phone_numbers(record):
    """The record's phone numbers, in PHONE_FIELDS' order, then False for the
    fields this version lacks (a partner always gives a phone and a mobile)."""
    numbers = [record[name] for name in PHONE_FIELDS]
    return tuple(numbers + [False] * (2 - len(numbers)))


# A relational field searched without the comodel's record rules. 18.0: ``auto_join``;
# 19.0: ``bypass_search_access``. Use: ``fields.One2many(..., **SEARCH_WITHOUT_RULES)``.
SEARCH_WITHOUT_RULES = (
    {"bypass_search_access": True} if ODOO_19 else {"auto_join": True}
)


def place_groups(env, category_xmlid, group_xmlids, members):
    """Puts the addon's groups in its application section of the user form and
    links their first members ({group xmlid: [user xmlids]}).

    18.0: ``res.groups.category_id`` and ``users``. 19.0: a ``res.groups.privilege``
    of the category (xmlid: the category's, suffixed ``_privilege``), ``privilege_id``,
    ``sequence`` and ``user_ids``.
    """
    category = env.ref(category_xmlid)
    groups = [env.ref(xmlid) for xmlid in group_xmlids]
    if ODOO_19:
        privilege = env["res.groups.privilege"]._load_records(
            [
                {
                    "xml_id": f"{category_xmlid}_privilege",
                    "values": {
                        "name": category.name,
                        "sequence": category.sequence,
                        "category_id": category.id,
                    },
                    "noupdate": False,
                }
            ]
        )
        for sequence, group in enumerate(groups, start=1):
            group.write({"privilege_id": privilege.id, "sequence": sequence * 10})
    else:
        for group in groups:
            group.category_id = category
    users_field = "user_ids" if ODOO_19 else "users"
    for group_xmlid, user_xmlids in members.items():
        users = [env.ref(xmlid, raise_if_not_found=False) for xmlid in user_xmlids]
        env.ref(group_xmlid).write(
            {users_field: [(4, user.id) for user in users if user]}
        )


# The groups of a user or of an action (res.users, ir.actions.*). 18.0: ``groups_id``;
# 19.0: ``group_ids``.
GROUPS_FIELD = "group_ids" if ODOO_19 else "groups_id"


# A cursor's transaction, which tests that open their own cursors create.
# 18.0: odoo.api.Transaction; 19.0: odoo.orm.environments.Transaction.
if ODOO_19:
    from odoo.orm.environments import Transaction  # noqa: F401 - re-exported
else:
    from odoo.api import Transaction  # noqa: F401 - re-exported


def short_time_format(lang):
    """A language's time format without seconds (strftime). 18.0: the field
    ``short_time_format``; 19.0 has only ``time_format`` (with seconds)."""
    if ODOO_19:
        return lang.time_format.replace(":%S", "")
    return lang.short_time_format


def read_group_groupby_args(model, args):
    """(table alias, groupby spec, query) of a ``_read_group_groupby`` override
    taking ``*args``. 18.0 passes (groupby_spec, query) and groups on the model's
    own table; 19.0 passes (alias, groupby_spec, query)."""
    if ODOO_19:
        return args
    groupby_spec, query = args
    return model._table, groupby_spec, query


def process_cron_job(ir_cron, db_name, cron_cr, job):
    """Odoo's cron runner on one acquired job (``ir.cron._process_job``): 18.0
    takes (db_name, cron_cr, job), 19.0 (cron_cr, job)."""
    if ODOO_19:
        return ir_cron._process_job(cron_cr, job)
    return ir_cron._process_job(db_name, cron_cr, job)


@contextlib.contextmanager
def registry_test_mode(case):
    """In a TransactionCase: new cursors of the registry wrap the test's cursor.
    18.0: ``registry.enter_test_mode``; 19.0: ``case.enter_registry_test_mode``."""
    if ODOO_19:
        with case.enter_registry_test_mode():
            yield
        return
    case.registry.enter_test_mode(case.cr)
    try:
        yield
    finally:
        case.registry.leave_test_mode()


def notify_progress(env, done, remaining):
    """A scheduled job's call reports its progress: ``done`` items in this call,
    ``remaining`` after it (the runner calls again while some remain). Call it at
    the end of a unit of work. 18.0: ``ir.cron._notify_progress``, the runner
    commits after the call; 19.0: ``_commit_progress``, which commits at once
    (``_notify_progress`` is deprecated). Outside a runner's call, neither does
    anything (a test, a method called directly)."""
    if not ODOO_19:
        env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    elif env.context.get("ir_cron_progress_id"):
        env["ir.cron"]._commit_progress(done, remaining=remaining)


# The field a contact's mobile number is typed in. 18.0: ``mobile``; 19.0: ``phone``
# (its only number).
MOBILE_FIELD = PHONE_FIELDS[-1]


def web_read_group_args(domain, groupby, aggregates):
    """The positional arguments the web client gives ``web_read_group``.
    18.0: (domain, fields, groupby); 19.0: (domain, groupby, aggregates)."""
    if ODOO_19:
        return [domain, groupby, aggregates]
    return [domain, aggregates, groupby]


def search_operands(operator, value):
    """(operator, value) of a field's search method, a one-value ``in`` / ``not in``
    as ``=`` / ``!=``. 18.0 passes the domain's operator as written; 19.0 rewrites
    ``=`` and ``!=`` into ``in`` and ``not in`` with a set of the value (booleans:
    ``("f", "=", False)`` arrives as ``("f", "not in", {True})``)."""
    if (
        operator in ("in", "not in")
        and isinstance(value, Collection)
        and not isinstance(value, str)
        and len(value) == 1
    ):
        return ("=" if operator == "in" else "!="), next(iter(value))
    return operator, value


# A scheduled action's call: the scheduler's, or "Run Manually". 18.0: Run Manually
# (``ir.cron.method_direct_trigger``) calls the job once, in the user's transaction,
# with a progress but no ``cron_id`` in the context. 19.0: it runs the job as the
# runner does (its own cursor, ``cron_id`` in the context, called again while work
# remains); ir.cron's override marks the crons it runs by hand (manual_cron_run).
MANUAL_RUN_IS_ONE_CALL = not ODOO_19
_MANUAL_CRON_IDS = contextvars.ContextVar("logistics_crm_manual_crons", default=())


@contextlib.contextmanager
def manual_cron_run(crons):
    """The jobs of ``crons`` called meanwhile (in this thread) are run by hand."""
    token = _MANUAL_CRON_IDS.set((*_MANUAL_CRON_IDS.get(), *crons.ids))
    try:
        yield
    finally:
        _MANUAL_CRON_IDS.reset(token)


def is_scheduled_call(env):
    """Whether the job's call is the scheduler's (not Run Manually's, nor code's)."""
    cron_id = env.context.get("cron_id")
    return bool(cron_id) and cron_id not in _MANUAL_CRON_IDS.get()


def check_field_access(model, operation, field_name):
    """Raises AccessError when the user may not ``operation`` ("read", "write") the
    field. 18.0: ``check_field_access_rights``; 19.0 deprecates it for
    ``_check_field_access`` (a field, one operation)."""
    if ODOO_19:
        model._check_field_access(model._fields[field_name], operation)
    else:
        model.check_field_access_rights(operation, [field_name])
