package tagexpr_test

import (
	"fmt"

	"github.com/ytconform/ytconform/internal/tagexpr"
)

func ExampleParse() {
	e, err := tagexpr.Parse("not @writes and (@auth or @projects)")
	if err != nil {
		panic(err)
	}
	fmt.Println(e)
	fmt.Println(e.Match([]string{"@auth"}))
	fmt.Println(e.Match([]string{"@auth", "@writes"}))

	_, err = tagexpr.Parse("not (@a")
	fmt.Println(err)
	// Output:
	// (not @writes and (@auth or @projects))
	// true
	// false
	// tag expression "not (@a": unclosed '(' opened at position 5
}

func ExampleExpr_GodogFilter() {
	e, err := tagexpr.Parse("not @writes and (@auth or @projects)")
	if err != nil {
		panic(err)
	}
	filter, err := e.GodogFilter()
	if err != nil {
		panic(err)
	}
	fmt.Println(filter)
	// Output:
	// ~@writes&&@auth,~@writes&&@projects
}
