package diff

import (
	"cmp"
	"mime"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/ytconform/ytconform/internal/secrets"
	"github.com/ytconform/ytconform/report"
)

// rule is one built-in noise rule: what differs between any two servers whatever they serve.
type rule int

const (
	ruleBase rule = iota
	ruleHub
	ruleToken
	ruleCreationTime
	ruleLastAccessTime
	ruleReleaseDate
	ruleBuild
	ruleUUID
	ruleDate
	ruleContentLength
	ruleCount
)

var ruleNames = [ruleCount]string{
	ruleBase:           "base URL → {base}",
	ruleHub:            "Hub URL → {hub}",
	ruleToken:          "token shape → " + secrets.Placeholder,
	ruleCreationTime:   "JSON key creationTime",
	ruleLastAccessTime: "JSON key lastAccessTime",
	ruleReleaseDate:    "JSON key releaseDate",
	ruleBuild:          "JSON key build",
	ruleUUID:           "JSON key uuid",
	ruleDate:           "header Date",
	ruleContentLength:  "header Content-Length",
}

// noiseKeys are JSON keys whose values (and anything under them) are times, builds or random: their
// presence is compared, never what they hold.
var noiseKeys = map[string]rule{
	"creationTime":   ruleCreationTime,
	"lastAccessTime": ruleLastAccessTime,
	"releaseDate":    ruleReleaseDate,
	"build":          ruleBuild,
	"uuid":           ruleUUID,
}

// noiseHeaders are dropped from every answer.
var noiseHeaders = map[string]rule{"Date": ruleDate, "Content-Length": ruleContentLength}

// rules is a set of rules: those that fired in one answer.
type rules uint32

func (rs *rules) add(r rule)     { *rs |= 1 << r }
func (rs rules) has(r rule) bool { return rs&(1<<r) != 0 }

// documentedHeaders are the response headers the contract documents, by canonical name, spelled as
// YouTrack's documentation spells them. Other headers (proxies add many) are not compared.
var documentedHeaders = func() map[string]string {
	m := map[string]string{}
	for _, name := range documentedOrder {
		m[textproto.CanonicalMIMEHeaderKey(name)] = name
	}
	return m
}()

var documentedOrder = []string{"Cache-Control", "Server", "Vary", "X-Content-Type-Options", "X-Frame-Options",
	"X-XSS-Protection", "WWW-Authenticate", "Allow", "Access-Control-Allow-Origin", "Content-Encoding"}

// answer is one exchange as compared: normalised, its noise gone.
type answer struct {
	op      string // "GET /api/admin/projects/{id}"
	request string // "GET {base}/api/admin/projects/0-1?fields=id"
	status  int    // 0 when no answer came
	// contentType is the Content-Type as sent ("" when absent); media and params are what is compared:
	// "application/json" and "charset=utf-8", lower case, parameters sorted.
	contentType, media, params string
	headers                    map[string]string // the documented headers present, by their documented name
	body                       *shape
	fired                      rules
}

// normalise turns an exchange of run into an answer: URLs of the run's servers become {base} and {hub}
// everywhere, token shapes become <token>, and noise headers go. Only what is found in the answer counts as
// a rule firing: the request's URL always holds the base URL.
func normalise(run *report.Run, x *report.Exchange) *answer {
	a := &answer{status: x.Status, headers: map[string]string{}}
	urls := urlReplacements(run, x.URL)
	clean := func(s string) string {
		if red := secrets.Redact(s); red != s {
			a.fired.add(ruleToken)
			s = red
		}
		for _, u := range urls {
			var hit bool
			if s, hit = replaceURL(s, u.from, u.to); hit {
				a.fired.add(u.rule)
			}
		}
		return s
	}
	target := secrets.Redact(x.URL)
	for _, u := range urls {
		target, _ = replaceURL(target, u.from, u.to)
	}
	a.request = x.Method + " " + target
	a.op = cmp.Or(x.Operation, operationOf(x.Method, target))

	for _, h := range x.ResponseHeaders {
		name := textproto.CanonicalMIMEHeaderKey(h.Name)
		if r, ok := noiseHeaders[name]; ok {
			a.fired.add(r)
			continue
		}
		if name == "Content-Type" {
			a.contentType = h.Value
			a.media, a.params = mediaType(h.Value)
			continue
		}
		if doc, ok := documentedHeaders[name]; ok {
			a.headers[doc] = joinValues(a.headers[doc], clean(h.Value))
		}
	}
	a.body = parseBody(clean(x.Body), &a.fired)
	return a
}

// joinValues joins the lines of one header as a comma-separated list, the spaces around its commas
// normalised: "Accept-Encoding,User-Agent" is "Accept-Encoding, User-Agent".
func joinValues(prev, value string) string {
	parts := strings.Split(value, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	if prev == "" {
		return strings.Join(parts, ", ")
	}
	return prev + ", " + strings.Join(parts, ", ")
}

// mediaType is a Content-Type's media type and its parameters, all lower case, so that
// "application/json;charset=UTF-8" and "application/json; charset=utf-8" are the same.
func mediaType(value string) (media, params string) {
	mt, ps, err := mime.ParseMediaType(value)
	if err != nil {
		mt, _, _ = strings.Cut(value, ";")
		return strings.ToLower(strings.TrimSpace(mt)), ""
	}
	var list []string
	for k, v := range ps {
		list = append(list, strings.ToLower(k)+"="+strings.ToLower(v))
	}
	slices.Sort(list)
	return mt, strings.Join(list, "; ")
}

// replacement is one server URL and its placeholder.
type replacement struct {
	from, to string
	rule     rule
}

// urlReplacements are the run's server URLs, longest first so that a Hub under the base URL is {hub}, not
// {base}/hub. An empty BaseURL (the embedded mock, one address per scenario) falls back to the origin of
// the exchange's URL; an empty HubURL to where the suite looks for the Hub, <base>/hub, and to the Cloud
// layout's <origin>/hub. Each also in the form JSON encoders that escape slashes write: http:\/\/host.
func urlReplacements(run *report.Run, rawURL string) []replacement {
	var baseURL, hubURL string
	if run != nil {
		baseURL, hubURL = strings.TrimRight(run.BaseURL, "/"), strings.TrimRight(run.HubURL, "/")
	}
	base := cmp.Or(baseURL, originOf(rawURL))
	hubs := []string{hubURL}
	if hubURL == "" {
		hubs = []string{base + "/hub", originOf(base) + "/hub"}
	}
	var out []replacement
	add := func(from, to string, r rule) {
		if from == "" || strings.HasPrefix(from, "/") {
			return // no origin known: nothing to replace
		}
		out = append(out, replacement{from, to, r},
			replacement{strings.ReplaceAll(from, "/", `\/`), to, r})
	}
	for _, h := range hubs {
		add(h, "{hub}", ruleHub)
	}
	add(base, "{base}", ruleBase)
	slices.SortStableFunc(out, func(x, y replacement) int { return len(y.from) - len(x.from) })
	return slices.CompactFunc(out, func(x, y replacement) bool { return x.from == y.from })
}

// originOf is a URL's scheme://host[:port]; "" when it has none.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// replaceURL replaces from with to in s where from is a whole URL prefix: "http://a:80" is not replaced in
// "http://a:8080/", nor "http://a/hub" in "http://a/hubs".
func replaceURL(s, from, to string) (string, bool) {
	var b strings.Builder
	hit := false
	for {
		i := strings.Index(s, from)
		if i < 0 {
			break
		}
		end := i + len(from)
		if end < len(s) && continuesURL(s[end]) {
			b.WriteString(s[:end])
		} else {
			b.WriteString(s[:i])
			b.WriteString(to)
			hit = true
		}
		s = s[end:]
	}
	b.WriteString(s)
	return b.String(), hit
}

// continuesURL says whether c, right after a URL, makes it another host, port or path segment.
func continuesURL(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '.' || c == '-' || c == '_' || c == '~' || c == ':'
}

// idSegment is a path segment that names one entity: a number, or YouTrack's "0-1".
var idSegment = regexp.MustCompile(`^[0-9]+(-[0-9]+)?$`)

// operationOf names a request that matched no operation of the contract: its method and path, the base
// URL's path dropped, the Hub's as /hub, ids as {id}: "GET /api/admin/projects/{id}/team".
func operationOf(method, target string) string {
	path := target
	if rest, ok := strings.CutPrefix(target, "{hub}"); ok {
		path = "/hub" + rest
	} else if rest, ok := strings.CutPrefix(target, "{base}"); ok {
		path = rest
	} else if u, err := url.Parse(target); err == nil {
		path = u.Path
	}
	path, _, _ = strings.Cut(path, "?")
	path, _, _ = strings.Cut(path, "#")
	segments := strings.Split(path, "/")
	for i, s := range segments {
		if idSegment.MatchString(s) {
			segments[i] = "{id}"
		}
	}
	return method + " " + cmp.Or(strings.Join(segments, "/"), "/")
}
