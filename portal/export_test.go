package portal

// UnmatchableHash is unmatchableHash, for the tests of package portal_test.
var UnmatchableHash = unmatchableHash
