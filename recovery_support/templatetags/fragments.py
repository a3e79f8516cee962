"""{% cached "name" version [more …] %}…{% endcached %}: the enclosed template, rendered
once per version and then served from recovery_support.fragments' cache. A version
of several parts is their values joined; with any part empty, it is drawn afresh."""

from django import template

from recovery_support import fragments

register = template.Library()


class CachedNode(template.Node):
    def __init__(self, nodelist, name, versions):
        self.nodelist, self.name, self.versions = nodelist, name, versions

    def render(self, context):
        parts = [version.resolve(context) for version in self.versions]
        # An empty part (no version, a form holding input) means: draw it afresh.
        version = "" if any(p in (None, "") for p in parts) else ":".join(map(str, parts))
        key = fragments.key_for(context.get("request"), self.name.resolve(context), version)
        if key is None:
            return self.nodelist.render(context)
        html = fragments.cache().get(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.cache().set(key, html)
        return html


@register.tag
def cached(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a version")
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    versions = [parser.compile_filter(bit) for bit in bits[2:]]
    return CachedNode(nodelist, parser.compile_filter(bits[1]), versions)
