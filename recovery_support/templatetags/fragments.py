"""{% cached "name" version %}…{% endcached %}: the enclosed template, rendered once
per version and then served from recovery_support.fragments' cache."""

from django import template

from recovery_support import fragments

register = template.Library()


class CachedNode(template.Node):
    def __init__(self, nodelist, name, version):
        self.nodelist, self.name, self.version = nodelist, name, version

    def render(self, context):
        key = fragments.key_for(
            context.get("request"),
            self.name.resolve(context),
            self.version.resolve(context),
        )
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
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a version")
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    return CachedNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))
