# tests/privsep/privlab.sh: the start the privsep lab tests share.  Source
# it after tests/lab/lab.sh, then:
#	privlab_start TAG CMD... [-- STATEMENT...]
#		SKIP (exit 77) unless root and every CMD is installed; a lab
#		(lab_init TAG) of hosts a 192.0.2.1/24 and b 192.0.2.2/24 on
#		one link, and each further lab description STATEMENT; NS is
#		a's namespace.  Exit 1 if it could not be built.
#	privlab_users
#		a group G and users UIN (in G) and UOUT (not), named for
#		this shell ($$), removed at teardown.  Exit 1 on failure.
privlab_users() {
	G=scg$$ UIN=scin$$ UOUT=scout$$
	groupadd "$G" || exit 1
	lab_atexit "groupdel $G 2>/dev/null"
	useradd -M -N -g nogroup -G "$G" -s /usr/sbin/nologin "$UIN" || exit 1
	lab_atexit "userdel $UIN 2>/dev/null"
	useradd -M -N -g nogroup -s /usr/sbin/nologin "$UOUT" || exit 1
	lab_atexit "userdel $UOUT 2>/dev/null"
}

privlab_start() {
	local tag=$1 cmds=() ab
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		cmds+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	lab_require_root
	lab_require_cmd "${cmds[@]}"
	printf -v ab '%s\n' "node a host" "node b host" \
	    "link a b 192.0.2.1/24 192.0.2.2/24"
	lab_start "$tag" "$ab" "$@" || exit 1
	NS=$(lab_ns a)
}
