// Builds one Roslyn compilation of the given sources and records, for every reference in the checked files, an edge
// from the referencing file's component to the component that declares the referenced symbol.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kernel.HostTests.Architecture;

/// <summary>
/// The semantic model, not using lines, decides what a reference names, so fully qualified names, using static,
/// aliases, generic arguments, attributes, base lists and inferred types (var) all count. A using directive that
/// only names a namespace is not a dependency by itself: the references it enables are.
/// </summary>
public sealed class LayeringChecker
{
    /// <summary>The symbols every kernel build flavour may define, all set so every #if branch is seen.</summary>
    public static readonly string[] PreprocessorSymbols = { "KERNEL", "KERNEL_TESTS" };

    private static readonly SymbolDisplayFormat SymbolFormat = new SymbolDisplayFormat(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType);

    private readonly List<(SyntaxTree Tree, bool IsChecked)> _trees;

    /// <summary>Parses the sources and compiles them together, with no metadata references (corelib/ is source).</summary>
    public LayeringChecker(IEnumerable<KernelSource> sources)
    {
        CSharpParseOptions parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None)
            .WithPreprocessorSymbols(PreprocessorSymbols);
        _trees = sources
            .Select(s => (CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path), s.IsChecked))
            .ToList();
        Compilation = CSharpCompilation.Create(
            "LayeringCheck",
            _trees.Select(t => t.Tree),
            references: null,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
    }

    public CSharpCompilation Compilation { get; }

    /// <summary>The parsed kernel/ and efi/ files (not corelib/), in the order given.</summary>
    public IEnumerable<SyntaxTree> CheckedTrees => _trees.Where(t => t.IsChecked).Select(t => t.Tree);

    /// <summary>The compilation's errors. They do not stop the check, but a reference that fails to bind is not seen.</summary>
    public List<Diagnostic> CompileErrors() =>
        Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Walks every checked file and returns the component graph of its references.</summary>
    public DependencyGraph FindDependencies()
    {
        ConcurrentBag<DependencyReference> references = new ConcurrentBag<DependencyReference>();
        ConcurrentBag<string> components = new ConcurrentBag<string>();
        Parallel.ForEach(CheckedTrees, tree =>
        {
            FileWalk walk = new FileWalk(Compilation.GetSemanticModel(tree), references);
            components.Add(walk.FileComponent);
            walk.Run();
        });

        return new DependencyGraph(components, references);
    }

    /// <summary>The references of one file.</summary>
    private sealed class FileWalk
    {
        private readonly SemanticModel _model;
        private readonly ConcurrentBag<DependencyReference> _sink;
        private readonly Dictionary<SyntaxNode, string> _namespaceComponents = new Dictionary<SyntaxNode, string>();
        private string _from;
        private readonly string _path;
        private int _line;

        public FileWalk(SemanticModel model, ConcurrentBag<DependencyReference> sink)
        {
            _model = model;
            _sink = sink;
            _path = model.SyntaxTree.FilePath;
            List<string> declared = ComponentNames.DeclaredNamespaces(model.SyntaxTree.GetRoot());
            FileComponent = ComponentNames.FromNamespace(declared.Count > 0 ? declared[0] : string.Empty);
        }

        /// <summary>The component of the file's first namespace declaration; code outside any declaration belongs to it.</summary>
        public string FileComponent { get; }

        public void Run()
        {
            foreach (SyntaxNode node in _model.SyntaxTree.GetRoot().DescendantNodes())
            {
                switch (node)
                {
                    case ExpressionSyntax expression:
                        // Types (TypeSyntax is an expression), names, member accesses, calls, object creations.
                        Visit(node);
                        AddSymbolInfo(_model.GetSymbolInfo(expression));
                        AddType(_model.GetTypeInfo(expression).Type);
                        break;
                    case AttributeSyntax attribute:
                        Visit(node);
                        AddSymbolInfo(_model.GetSymbolInfo(attribute));
                        break;
                    case ConstructorInitializerSyntax initializer:
                        Visit(node);
                        AddSymbolInfo(_model.GetSymbolInfo(initializer));
                        break;
                    case PrimaryConstructorBaseTypeSyntax baseType:
                        Visit(node);
                        AddSymbolInfo(_model.GetSymbolInfo(baseType));
                        break;
                }
            }
        }

        private void Visit(SyntaxNode node)
        {
            _line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            BaseNamespaceDeclarationSyntax declaration = node.FirstAncestorOrSelf<BaseNamespaceDeclarationSyntax>();
            if (declaration == null)
            {
                _from = FileComponent;
            }
            else if (!_namespaceComponents.TryGetValue(declaration, out _from))
            {
                _from = ComponentNames.FromNamespace(ComponentNames.DeclaredName(declaration));
                _namespaceComponents.Add(declaration, _from);
            }
        }

        private void AddSymbolInfo(SymbolInfo info)
        {
            if (info.Symbol != null)
            {
                AddSymbol(info.Symbol);
                return;
            }

            // Overload resolution or accessibility failures still say which symbols were meant.
            foreach (ISymbol candidate in info.CandidateSymbols)
            {
                AddSymbol(candidate);
            }
        }

        private void AddSymbol(ISymbol symbol)
        {
            switch (symbol)
            {
                case null:
                case INamespaceSymbol:
                case ILocalSymbol:
                case IParameterSymbol:
                case IRangeVariableSymbol:
                case ILabelSymbol:
                case IDiscardSymbol:
                case IPreprocessingSymbol:
                    // Locals and parameters are covered by their declared or inferred types.
                    return;
                case IAliasSymbol alias:
                    AddSymbol(alias.Target);
                    return;
                case ITypeSymbol type:
                    AddType(type);
                    return;
            }

            if (symbol is IMethodSymbol method)
            {
                if (method.MethodKind == MethodKind.AnonymousFunction || method.MethodKind == MethodKind.LocalFunction)
                {
                    return;
                }

                foreach (ITypeSymbol argument in method.TypeArguments)
                {
                    AddType(argument);
                }

                if (method.MethodKind == MethodKind.Constructor)
                {
                    AddType(method.ContainingType);
                    return;
                }
            }

            INamedTypeSymbol owner = symbol.ContainingType;
            if (owner != null)
            {
                AddTypeArguments(owner);
                Record(owner.OriginalDefinition.ContainingNamespace, symbol.OriginalDefinition);
            }
            else if (symbol.ContainingNamespace != null)
            {
                Record(symbol.ContainingNamespace, symbol.OriginalDefinition);
            }
        }

        private void AddType(ITypeSymbol type)
        {
            switch (type)
            {
                case null:
                case ITypeParameterSymbol:
                case IErrorTypeSymbol:
                case IDynamicTypeSymbol:
                    return;
                case IArrayTypeSymbol array:
                    AddType(array.ElementType);
                    return;
                case IPointerTypeSymbol pointer:
                    AddType(pointer.PointedAtType);
                    return;
                case IFunctionPointerTypeSymbol functionPointer:
                    AddType(functionPointer.Signature.ReturnType);
                    foreach (IParameterSymbol parameter in functionPointer.Signature.Parameters)
                    {
                        AddType(parameter.Type);
                    }

                    return;
                case INamedTypeSymbol named:
                    if (named.IsAnonymousType)
                    {
                        return;
                    }

                    AddTypeArguments(named);
                    Record(named.OriginalDefinition.ContainingNamespace, named.OriginalDefinition);
                    return;
            }
        }

        /// <summary>The type arguments of a constructed type and of the types it is nested in.</summary>
        private void AddTypeArguments(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol t = type; t != null; t = t.ContainingType)
            {
                foreach (ITypeSymbol argument in t.TypeArguments)
                {
                    AddType(argument);
                }
            }
        }

        private void Record(INamespaceSymbol ns, ISymbol symbol)
        {
            if (ns == null)
            {
                return;
            }

            string to = ComponentNames.FromNamespace(ns);
            if (to == _from)
            {
                return;
            }

            _sink.Add(new DependencyReference(_from, to, _path, _line, Display(symbol)));
        }

        private static string Display(ISymbol symbol)
        {
            string text = symbol.ToDisplayString(SymbolFormat);
            return text.StartsWith("Kernel.", StringComparison.Ordinal) ? text.Substring("Kernel.".Length) : text;
        }
    }
}
