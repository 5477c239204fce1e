package mockserver_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
)

func TestSyntheticProjects(t *testing.T) {
	const n = 1000
	base := startMock(t, func(f *mockserver.Fixtures) { f.AddSyntheticProjects(n) })
	const everything = "/api/admin/projects?fields=id,name,shortName,leader(login)&$top=-1"

	t.Run("the admin reads them all, in name order, with deterministic names, ids and leaders", func(t *testing.T) {
		ex := request(t, base, "GET", everything, "", bearer(rootToken))
		require.Equal(t, 200, ex.status)
		list := gjson.Parse(ex.body).Array()
		require.Len(t, list, n+2)
		assert.Equal(t, "First Project", list[0].Get("name").String())
		assert.Equal(t, "Second Project", list[1].Get("name").String())
		for k := 1; k <= n; k++ {
			p := list[k+1]
			assert.Equal(t, fmt.Sprintf("Synthetic %06d", k), p.Get("name").String())
			assert.Equal(t, fmt.Sprintf("SYN%06d", k), p.Get("shortName").String())
			assert.Equal(t, fmt.Sprintf("0-%d", k+1), p.Get("id").String(), "ids continue after the fixtures' 0-1")
			// the banned mallory never leads: the leaders cycle over root and jane.roe
			assert.Equal(t, []string{"root", "jane.roe"}[(k-1)%2], p.Get("leader.login").String())
		}
	})

	t.Run("a restricted user reads every fourth, from the first", func(t *testing.T) {
		ex := request(t, base, "GET", everything, "", bearer(restrictedToken))
		require.Equal(t, 200, ex.status)
		list := gjson.Parse(ex.body).Array()
		require.Len(t, list, 1+n/mockserver.SyntheticReadShare)
		assert.Equal(t, "SP", list[0].Get("shortName").String())
		assert.Equal(t, "SYN000001", list[1].Get("shortName").String())
		assert.Equal(t, "SYN000005", list[2].Get("shortName").String())
		assert.Equal(t, 200, request(t, base, "GET", "/api/admin/projects/SYN000009", "", bearer(restrictedToken)).status)
		assert.Equal(t, 404, request(t, base, "GET", "/api/admin/projects/SYN000002", "", bearer(restrictedToken)).status)
	})

	t.Run("guest reads none of them", func(t *testing.T) {
		ex := request(t, base, "GET", everything, "")
		require.Equal(t, 200, ex.status)
		assert.Equal(t, `["SP"]`, gjson.Get(ex.body, "#.shortName").Raw)
	})

	t.Run("a page from the middle is the page asked for", func(t *testing.T) {
		ex := request(t, base, "GET", "/api/admin/projects?fields=id,shortName&$top=2&$skip=500", "", bearer(rootToken))
		require.Equal(t, 200, ex.status)
		assert.Equal(t, `["SYN000499","SYN000500"]`, gjson.Get(ex.body, "#.shortName").Raw)
	})
}

func TestSyntheticProjectsAreDeterministic(t *testing.T) {
	fresh := func() *mockserver.Fixtures {
		f, err := mockserver.DefaultFixtures()
		require.NoError(t, err)
		f.AddSyntheticProjects(50)
		return f
	}
	assert.Equal(t, fresh(), fresh())
	f := fresh()
	f.AddSyntheticProjects(0)
	f.AddSyntheticProjects(-3)
	assert.Equal(t, fresh(), f, "zero or fewer projects add nothing")
}

func TestSyntheticProjectsTwiceRepeatShortNames(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	f.AddSyntheticProjects(3)
	f.AddSyntheticProjects(3)
	_, err = mockserver.NewStore(f)
	assert.ErrorContains(t, err, `duplicate short name "SYN000001"`)
}
