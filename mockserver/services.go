package mockserver

import (
	"strings"
)

// The Hub services a permanent token can be granted for (Hub REST docs, "service"). With YouTrack's
// built-in Hub, the Hub service has the fixed id 0-0-0-0-0 and the name "YouTrack Administration", and
// its scope is what opens the Hub API; the YouTrack service has a UUID for id and key. Scripts find the
// ids with GET <hub>/api/rest/services and send scope entries as {"id": …}.

// service is one Hub service.
type service struct {
	bit                            scopeSet
	id, key, name, applicationName string
}

// scopeSet is the set of services a token is granted for.
type scopeSet uint8

const (
	scopeYouTrack scopeSet = 1 << iota
	scopeHub
)

// hubServiceID is the Hub service's id on every Hub.
const hubServiceID = "0-0-0-0-0"

// youTrackServiceID is the mock's YouTrack service id: a UUID, as on real servers, the same every run.
var youTrackServiceID = ringID("service:", "YouTrack")

var services = []service{
	{bit: scopeHub, id: hubServiceID, key: "jetbrains-hub-service", name: ScopeYouTrackAdmin, applicationName: "Hub"},
	{bit: scopeYouTrack, id: youTrackServiceID, key: youTrackServiceID, name: "YouTrack", applicationName: "YouTrack"},
}

// attribute is the service's value of a query attribute ("" for one it does not have).
func (s service) attribute(name string) string {
	switch name {
	case "id":
		return s.id
	case "key":
		return s.key
	case "name":
		return s.name
	case "applicationName":
		return s.applicationName
	}
	return ""
}

// serviceNamed finds a service by id, key, name or application name: scripts send ids, older clients and
// fixture files the names ("YouTrack", "Hub", "YouTrack Administration").
func serviceNamed(ref string) (service, bool) {
	for _, s := range services {
		if ref == s.id || ref == s.key || ref == s.name || ref == s.applicationName {
			return s, true
		}
	}
	return service{}, false
}

// scopeOf is the set of the services named.
func scopeOf(refs []string) scopeSet {
	var set scopeSet
	for _, ref := range refs {
		if s, ok := serviceNamed(ref); ok {
			set |= s.bit
		}
	}
	return set
}

// services lists the services of the set, in the order of the services table.
func (set scopeSet) services() []service {
	var out []service
	for _, s := range services {
		if set&s.bit != 0 {
			out = append(out, s)
		}
	}
	return out
}

// names are the services' names, as the Hub writes them in its invalid_token error.
func (set scopeSet) names() string {
	var names []string
	for _, s := range set.services() {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}
