"""Email-domain arithmetic of the mail intake (pure, Odoo-free)."""

import re

# one label of a host name: letters (also non-Latin ones) and digits, inner hyphens
_LABEL = re.compile(r"^[^\W_](?:[^\W_]|-){0,61}(?<!-)$")


def normalize_domain(value):
    """``value`` as a lower-case domain: without spaces, a leading @ or end dot.

    ``" @QQ.com. "`` gives ``"qq.com"``; an address gives its domain.
    """
    value = (value or "").strip().lower()
    return value.rpartition("@")[2].strip(".")


def is_valid_domain(domain):
    """Whether ``domain`` is a host name with two labels at least (qq.com)."""
    if not domain or len(domain) > 253:
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(_LABEL.match(label) for label in labels)


def email_domain(email):
    """The domain of a normalized address, "" without one."""
    local, at, domain = (email or "").rpartition("@")
    return domain if at and local else ""


def domain_candidates(domain):
    """``domain`` and the domains above it, top-level domain left out.

    A listed free-mail domain covers its subdomains: vip.qq.com is free mail
    because qq.com is.
    """
    labels = normalize_domain(domain).split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1) if all(labels[i:])]
