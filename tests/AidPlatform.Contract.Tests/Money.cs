// The generated clients type money as the documents do: decimal once they say format decimal, double before.
#if CONTRACT_DECIMAL_MONEY
global using Money = decimal;
#else
global using Money = double;
#endif
