#include <stdio.h>

int
main(void)
{
	fputs("detente: under construction\n", stderr);
	return 2;
}
