vcl 4.1;
# Varnish in front of the newsroom's app servers (docs/deployment.md#a-cdn-or-varnish-in-front).
#
# - Keeps what the app marks public for its s-maxage (Varnish reads it before max-age), never
#   longer than the next scheduled publication or takedown: the app says so in s-maxage.
# - Drops every response carrying a surrogate key when an app server sends
#   `BAN /` (or `PURGE /`) with `Surrogate-Key: key1 key2 …` from an address in `purgers`
#   (NEWSROOM_PURGE_URLS=varnish+http://this-host:6081/).
# - Passes staff (a session cookie), the admin, previews and everything but GET and HEAD
#   straight to the app servers, and drops readers' other cookies (analytics), which would
#   otherwise make every request a miss.

import std;

# The app servers; list several behind a director (vmod_directors) for more than one.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may ban: the app servers (their addresses as Varnish sees them).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN" || req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.Surrogate-Key !~ "^[a-z0-9-]+( +[a-z0-9-]+)*$") {
            return (synth(400, "Send the keys to drop in Surrogate-Key, separated by spaces"));
        }
        # On the stored copy's keys (see vcl_backend_response), so the ban lurker can drop
        # the objects in the background; "article-1" never matches "article-12".
        ban("obj.http.X-Surrogate-Keys ~ ,(" + regsuball(req.http.Surrogate-Key, " +", "|") + "),");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview)/" || req.http.Cookie ~ "(^|;\s*)(sessionid|newsroom_primary)=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.X-Surrogate-Keys = "," + regsuball(beresp.http.Surrogate-Key, " +", ",") + ",";
    }
    # Only what the app marks public; Varnish's own rules would keep a 404 for two minutes.
    if (beresp.http.Cache-Control !~ "(^|,\s*)public(,|$)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.X-Surrogate-Keys;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
